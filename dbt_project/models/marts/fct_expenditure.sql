with

function_expenditure as (

    select * from {{ ref('stg_yusuan__function_expenditure') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

item_rows as (

    -- 项-level rows; a code printed twice in one document and scope (a repeated table)
    -- counts once: the lowest page wins
    select function_expenditure.*
    from function_expenditure
    where
        function_expenditure.row_kind = 'code'
        and function_expenditure.code_level = 3
    qualify
        row_number() over (
            partition by
                function_expenditure.document_id,
                function_expenditure.budget_scope,
                function_expenditure.function_code
            order by
                function_expenditure.page_number,
                function_expenditure.table_index,
                function_expenditure.row_index
        ) = 1

),

final as (

    select
        cast(item_rows.document_id as varchar) as document_id,
        cast({{ department_key(
            'documents.department_name', 'documents.region', 'documents.province'
        ) }} as varchar) as department_key,
        cast(documents.fiscal_year as integer) as fiscal_year,
        cast(documents.budget_level as varchar) as budget_level,
        cast(item_rows.budget_scope as varchar) as budget_scope,
        cast(item_rows.function_code as varchar) as function_code,
        cast(item_rows.total_yuan as decimal(20, 2)) as total_yuan,
        cast(item_rows.basic_yuan as decimal(20, 2)) as basic_yuan,
        cast(item_rows.project_yuan as decimal(20, 2)) as project_yuan,
        cast(item_rows.personnel_yuan as decimal(20, 2)) as personnel_yuan,
        cast(item_rows.public_yuan as decimal(20, 2)) as public_yuan,
        cast(item_rows.other_yuan as decimal(20, 2)) as other_yuan,
        cast(item_rows.page_number as integer) as page_number
    from item_rows
    left join documents
        on item_rows.document_id = documents.document_id

)

select * from final
