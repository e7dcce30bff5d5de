with

operating_expenses as (

    select * from {{ ref('stg_yusuan__operating_expenses') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

tabled as (

    -- the documents that print a 机关运行经费 table of their own
    select distinct operating_expenses.document_id
    from operating_expenses
    where operating_expenses.source = 'table'

),

preferred as (

    -- a table of its own (by economic code) wins over a 三公 table's column
    select operating_expenses.*
    from operating_expenses
    left join tabled
        on operating_expenses.document_id = tabled.document_id
    where operating_expenses.source = 'table' or tabled.document_id is null

),

first_tables as (

    {% call first_printed('operating_expenses') %}
    -- a table printed again (the department's and a unit's set) counts once
    select operating_expenses.*
    from preferred as operating_expenses
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
        cast(first_tables.table_index as integer) as table_index,
        cast(first_tables.row_index as integer) as row_index,
        cast(first_tables.source as varchar) as source,
        cast(first_tables.row_kind as varchar) as row_kind,
        cast(first_tables.economic_code as varchar) as economic_code,
        cast(
            case length(first_tables.economic_code) when 3 then 1 when 5 then 2 when 7 then 3 end
            as integer
        ) as code_level,
        cast(first_tables.economic_name as varchar) as economic_name,
        cast(first_tables.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(first_tables.page_number as integer) as page_number
    from first_tables
    left join documents
        on first_tables.document_id = documents.document_id

)

select * from final
