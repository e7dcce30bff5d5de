with

function_expenditure as (

    select * from {{ ref('stg_yusuan__function_expenditure') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

parents_with_items as (

    -- the 类 and 款 under which a document prints deeper rows in a scope (in any of its
    -- tables of that scope)
    select distinct
        function_expenditure.document_id,
        function_expenditure.budget_scope,
        left(function_expenditure.function_code, 3) as function_code
    from function_expenditure
    where
        function_expenditure.row_kind = 'code'
        and function_expenditure.code_level > 1

    union

    select distinct
        function_expenditure.document_id,
        function_expenditure.budget_scope,
        left(function_expenditure.function_code, 5) as function_code
    from function_expenditure
    where
        function_expenditure.row_kind = 'code'
        and function_expenditure.code_level = 3

),

item_rows as (

    -- the deepest printed level: every 项 row, and a 类 or 款 row under which the document
    -- prints nothing in that scope (a names-only print whose 款 names have no known code,
    -- a table printing classes only): the facts of a scope sum to its total
    select function_expenditure.*
    from function_expenditure
    where
        function_expenditure.row_kind = 'code'
        and not exists (
            select parents_with_items.document_id
            from parents_with_items
            where
                function_expenditure.document_id = parents_with_items.document_id
                and function_expenditure.budget_scope = parents_with_items.budget_scope
                and function_expenditure.function_code = parents_with_items.function_code
        )

),

table_items as (

    -- a code printed several times in one table (once per unit, 北京's 预算05表 printing
    -- each unit's 项 rows one after the other) is the sum of its rows
    select
        item_rows.document_id,
        item_rows.budget_scope,
        item_rows.table_index,
        item_rows.function_code,
        min(item_rows.code_level) as code_level,
        sum(item_rows.total_yuan) as total_yuan,
        sum(item_rows.basic_yuan) as basic_yuan,
        sum(item_rows.project_yuan) as project_yuan,
        sum(item_rows.personnel_yuan) as personnel_yuan,
        sum(item_rows.public_yuan) as public_yuan,
        sum(item_rows.other_yuan) as other_yuan,
        min(item_rows.page_number) as page_number,
        min(item_rows.row_index) as row_index
    from item_rows
    group by
        item_rows.document_id,
        item_rows.budget_scope,
        item_rows.table_index,
        item_rows.function_code

),

code_rows as (

    {% call keep_first(
        [
            'table_items.document_id',
            'table_items.budget_scope',
            'table_items.function_code'
        ],
        [
            'table_items.page_number',
            'table_items.table_index',
            'table_items.row_index'
        ]
    ) %}
    -- a code printed in two tables of one document and scope (a repeated table) counts
    -- once: the lowest page wins
    select table_items.*
    from table_items
    {% endcall %}

),

final as (

    select
        cast(code_rows.document_id as varchar) as document_id,
        cast({{ department_key(
            'documents.department_name', 'documents.region', 'documents.province'
        ) }} as varchar) as department_key,
        cast(documents.fiscal_year as integer) as fiscal_year,
        cast(documents.budget_level as varchar) as budget_level,
        cast(code_rows.budget_scope as varchar) as budget_scope,
        cast(code_rows.function_code as varchar) as function_code,
        cast(code_rows.code_level as integer) as code_level,
        cast(code_rows.total_yuan as decimal(20, 2)) as total_yuan,
        cast(code_rows.basic_yuan as decimal(20, 2)) as basic_yuan,
        cast(code_rows.project_yuan as decimal(20, 2)) as project_yuan,
        cast(code_rows.personnel_yuan as decimal(20, 2)) as personnel_yuan,
        cast(code_rows.public_yuan as decimal(20, 2)) as public_yuan,
        cast(code_rows.other_yuan as decimal(20, 2)) as other_yuan,
        cast(code_rows.page_number as integer) as page_number
    from code_rows
    left join documents
        on code_rows.document_id = documents.document_id

)

select * from final
