with

source as (

    select * from {{ source('yusuan', 'documents') }}

),

renamed as (

    select

        ----------  ids
        document_id,

        ----------  strings
        file_name,
        source_uri,
        {{ clean_text('department_name') }} as department_name,
        {{ clean_text('unit_code') }} as unit_code,
        {{ clean_text('region') }} as region,
        {{ clean_text('province') }} as province,
        {{ clean_text('budget_level') }} as budget_level,
        -- documents loaded before the kind was recorded are all tables documents
        coalesce({{ clean_text('document_kind') }}, 'tables') as document_kind,
        {{ clean_text('amount_unit') }} as amount_unit,

        ----------  numerics
        fiscal_year,
        page_count,

        ----------  timestamps
        loaded_at

    from source

)

select * from renamed
