with

document_tables as (

    select * from {{ ref('stg_yusuan__tables') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

final as (

    select
        cast(document_tables.document_id as varchar) as document_id,
        cast(document_tables.table_index as integer) as table_index,
        cast({{ department_key(
            'documents.department_name', 'documents.region', 'documents.province'
        ) }} as varchar) as department_key,
        cast(documents.fiscal_year as integer) as fiscal_year,
        cast(document_tables.page_number as integer) as page_number,
        cast(document_tables.last_page_number as integer) as last_page_number,
        cast(document_tables.table_title as varchar) as table_title,
        cast(document_tables.family as varchar) as family,
        cast(document_tables.row_count as integer) as row_count,
        cast(document_tables.is_empty as boolean) as is_empty,
        cast(document_tables.outcome as varchar) as outcome,
        cast(document_tables.reason as varchar) as reason,
        cast(document_tables.unknown_columns as varchar) as unknown_columns
    from document_tables
    left join documents
        on document_tables.document_id = documents.document_id

)

select * from final
