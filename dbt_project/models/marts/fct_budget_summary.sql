with

budget_summary as (

    select * from {{ ref('stg_yusuan__budget_summary') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

function_classes as (

    select * from {{ ref('function_classes') }}

),

first_tables as (

    {% call first_printed('budget_summary', within=['table_kind']) %}
    -- a document that prints a 收支总表 twice counts it once: its first table of each kind
    select budget_summary.*
    from budget_summary
    {% endcall %}

),

final as (

    select
        cast(first_tables.document_id as varchar) as document_id,
        cast({{ department_key(
            'documents.department_name', 'documents.region', 'documents.province'
        ) }} as varchar) as department_key,
        cast(documents.fiscal_year as integer) as fiscal_year,
        cast(documents.budget_level as varchar) as budget_level,
        cast(first_tables.table_kind as varchar) as table_kind,
        cast(first_tables.side as varchar) as side,
        cast(
            row_number() over (
                partition by first_tables.document_id, first_tables.table_kind, first_tables.side
                order by first_tables.row_index
            ) as integer
        ) as line_number,
        cast(first_tables.line_kind as varchar) as line_kind,
        cast(first_tables.line_level as integer) as line_level,
        cast(first_tables.line_name as varchar) as line_name,
        cast(first_tables.group_name as varchar) as group_name,
        cast(first_tables.class_code as varchar) as class_code,
        cast(function_classes.class_name as varchar) as class_name,
        cast(first_tables.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(first_tables.general_public_budget_yuan as decimal(20, 2))
            as general_public_budget_yuan,
        cast(first_tables.government_fund_yuan as decimal(20, 2)) as government_fund_yuan,
        cast(first_tables.state_capital_yuan as decimal(20, 2)) as state_capital_yuan,
        cast(first_tables.basic_yuan as decimal(20, 2)) as basic_yuan,
        cast(first_tables.project_yuan as decimal(20, 2)) as project_yuan,
        cast(first_tables.page_number as integer) as page_number
    from first_tables
    left join documents
        on first_tables.document_id = documents.document_id
    left join function_classes
        on first_tables.class_code = function_classes.class_code

)

select * from final
