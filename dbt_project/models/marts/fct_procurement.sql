with

procurement as (

    select * from {{ ref('stg_yusuan__procurement') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

first_tables as (

    {% call first_printed('procurement') %}
    -- a document that prints its procurement table twice counts it once: the first table
    select procurement.*
    from procurement
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
        cast(first_tables.row_kind as varchar) as row_kind,
        cast(first_tables.category as varchar) as category,
        cast(first_tables.category_name as varchar) as category_name,
        cast(first_tables.function_code as varchar) as function_code,
        cast(first_tables.code_level as integer) as code_level,
        cast(first_tables.unit_code as varchar) as unit_code,
        cast(first_tables.name as varchar) as name,
        cast(first_tables.economic_code as varchar) as economic_code,
        cast(first_tables.economic_name as varchar) as economic_name,
        cast(first_tables.catalogue as varchar) as catalogue,
        cast(first_tables.quantity as decimal(20, 4)) as quantity,
        cast(first_tables.procurement_method as varchar) as procurement_method,
        cast(first_tables.fund_source as varchar) as fund_source,
        cast(first_tables.source_name as varchar) as source_name,
        cast(first_tables.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(first_tables.page_number as integer) as page_number
    from first_tables
    left join documents
        on first_tables.document_id = documents.document_id

)

select * from final
