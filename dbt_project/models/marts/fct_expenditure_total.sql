with

function_expenditure as (

    select * from {{ ref('stg_yusuan__function_expenditure') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

totals as (

    {% call keep_first(
        [
            'function_expenditure.document_id',
            'function_expenditure.budget_scope'
        ],
        [
            'function_expenditure.page_number',
            'function_expenditure.table_index',
            'function_expenditure.row_index'
        ]
    ) %}
    -- the 合计 row of each scope's function table, the first printed: a table printed again
    -- (the department's and a unit's set) counts once
    select function_expenditure.*
    from function_expenditure
    where function_expenditure.row_kind = 'total'
    {% endcall %}

),

final as (

    select
        cast(totals.document_id as varchar) as document_id,
        cast({{ department_key(
            'documents.department_name', 'documents.region', 'documents.province'
        ) }} as varchar) as department_key,
        cast(documents.fiscal_year as integer) as fiscal_year,
        cast(documents.budget_level as varchar) as budget_level,
        cast(totals.budget_scope as varchar) as budget_scope,
        cast(totals.total_yuan as decimal(20, 2)) as total_yuan,
        cast(totals.basic_yuan as decimal(20, 2)) as basic_yuan,
        cast(totals.project_yuan as decimal(20, 2)) as project_yuan,
        cast(totals.personnel_yuan as decimal(20, 2)) as personnel_yuan,
        cast(totals.public_yuan as decimal(20, 2)) as public_yuan,
        cast(totals.other_yuan as decimal(20, 2)) as other_yuan,
        cast(totals.table_index as integer) as table_index,
        cast(totals.row_index as integer) as row_index,
        cast(totals.page_number as integer) as page_number
    from totals
    left join documents
        on totals.document_id = documents.document_id

)

select * from final
