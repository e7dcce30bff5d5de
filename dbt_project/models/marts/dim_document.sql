with

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

final as (

    select
        cast(documents.document_id as varchar) as document_id,
        cast(documents.file_name as varchar) as file_name,
        cast(documents.source_uri as varchar) as source_uri,
        cast(documents.fiscal_year as integer) as fiscal_year,
        cast({{ department_key(
            'documents.department_name', 'documents.region', 'documents.province'
        ) }} as varchar) as department_key,
        cast(documents.budget_level as varchar) as budget_level,
        cast(documents.document_kind as varchar) as document_kind,
        cast(documents.page_count as integer) as page_count,
        cast(documents.amount_unit as varchar) as amount_unit,
        cast(documents.loaded_at as timestamp) as loaded_at
    from documents

)

select * from final
