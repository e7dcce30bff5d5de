with

source as (

    select * from {{ source('yusuan', 'projects') }}

),

renamed as (

    select

        ----------  ids
        document_id,
        {{ clean_text('project_code') }} as project_code,
        {{ clean_text('unit_code') }} as unit_code,

        ----------  lineage
        page_number,
        table_index,
        row_index,
        {{ clean_text('table_title') }} as table_title,

        ----------  strings
        {{ clean_text('project_name') }} as project_name,
        {{ clean_text('department_name') }} as department_name,
        {{ clean_text('unit_name') }} as unit_name,
        {{ clean_text('project_type') }} as project_type,
        source_family,

        ----------  numerics
        amount_yuan,
        government_funds_yuan,
        other_funds_yuan

    from source

)

select * from renamed
