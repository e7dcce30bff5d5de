with

service_purchase as (

    select * from {{ ref('stg_yusuan__service_purchase') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

first_tables as (

    {% call first_printed('service_purchase') %}
    -- a document that prints its service-purchase table twice counts it once: the first
    select service_purchase.*
    from service_purchase
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
        cast(first_tables.name as varchar) as name,
        cast(first_tables.directory_level1 as varchar) as directory_level1,
        cast(first_tables.directory_level2 as varchar) as directory_level2,
        cast(first_tables.directory_level3 as varchar) as directory_level3,
        cast(first_tables.contractor as varchar) as contractor,
        cast(first_tables.unit_code as varchar) as unit_code,
        cast(first_tables.unit_name as varchar) as unit_name,
        cast(first_tables.purchase_method as varchar) as purchase_method,
        cast(first_tables.fund_source as varchar) as fund_source,
        cast(first_tables.source_name as varchar) as source_name,
        cast(first_tables.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(first_tables.page_number as integer) as page_number
    from first_tables
    left join documents
        on first_tables.document_id = documents.document_id

)

select * from final
