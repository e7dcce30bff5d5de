with

income_sources as (

    select * from {{ ref('stg_yusuan__income_sources') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

first_tables as (

    {% call first_printed('income_sources') %}
    -- a document that prints its income table twice counts it once: the first table
    select income_sources.*
    from income_sources
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
        cast(first_tables.row_index as integer) as row_index,
        cast(first_tables.row_kind as varchar) as row_kind,
        cast(first_tables.function_code as varchar) as function_code,
        cast(first_tables.code_level as integer) as code_level,
        cast(first_tables.unit_code as varchar) as unit_code,
        cast(first_tables.name as varchar) as name,
        cast(first_tables.income_source as varchar) as income_source,
        cast(first_tables.source_name as varchar) as source_name,
        cast(first_tables.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(first_tables.page_number as integer) as page_number
    from first_tables
    left join documents
        on first_tables.document_id = documents.document_id

)

select * from final
