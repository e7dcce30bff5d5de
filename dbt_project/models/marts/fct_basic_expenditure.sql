with

basic_expenditure as (

    select * from {{ ref('stg_yusuan__basic_expenditure') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

code_rows as (

    -- well-formed code rows; a code printed twice in one document (a repeated table)
    -- counts once: the lowest page wins
    select basic_expenditure.*
    from basic_expenditure
    where
        basic_expenditure.row_kind = 'code'
        and regexp_full_match(basic_expenditure.economic_code, '[0-9]{3}([0-9]{2})?')
    qualify
        row_number() over (
            partition by
                basic_expenditure.document_id,
                basic_expenditure.economic_code
            order by
                basic_expenditure.page_number,
                basic_expenditure.table_index,
                basic_expenditure.row_index
        ) = 1

),

classes_with_items as (

    -- the 类 under which a document prints 款 rows
    select distinct
        code_rows.document_id,
        left(code_rows.economic_code, 3) as economic_code
    from code_rows
    where length(code_rows.economic_code) = 5

),

deepest_rows as (

    -- the deepest printed level: every 款 row, and a 类 row only where the document
    -- prints no 款 under it (a 类 row over its 款 is a subtotal, not a fact)
    select code_rows.*
    from code_rows
    where length(code_rows.economic_code) = 5

    union all

    select code_rows.*
    from code_rows
    anti join classes_with_items
        on
            code_rows.document_id = classes_with_items.document_id
            and code_rows.economic_code = classes_with_items.economic_code
    where length(code_rows.economic_code) = 3

),

final as (

    select
        cast(deepest_rows.document_id as varchar) as document_id,
        cast({{ department_key('documents.department_name') }} as varchar) as department_key,
        cast(documents.fiscal_year as integer) as fiscal_year,
        cast(documents.budget_level as varchar) as budget_level,
        cast(deepest_rows.economic_code as varchar) as economic_code,
        cast(deepest_rows.gov_economic_code as varchar) as gov_economic_code,
        cast(deepest_rows.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(deepest_rows.personnel_yuan as decimal(20, 2)) as personnel_yuan,
        cast(deepest_rows.public_yuan as decimal(20, 2)) as public_yuan,
        cast(deepest_rows.kind as varchar) as kind,
        cast(deepest_rows.page_number as integer) as page_number
    from deepest_rows
    left join documents
        on deepest_rows.document_id = documents.document_id

)

select * from final
