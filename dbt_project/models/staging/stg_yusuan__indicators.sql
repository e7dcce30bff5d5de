with

source as (

    select * from {{ source('yusuan', 'indicators') }}

),

renamed as (

    select

        ----------  ids
        document_id,

        ----------  lineage
        page_number,
        table_index,
        row_index,
        {{ clean_text('table_title') }} as table_title,

        ----------  strings
        scope,
        {{ clean_text('project_name') }} as project_name,
        {{ clean_text('department_name') }} as department_name,
        {{ clean_text('level1_name') }} as level1_name,
        {{ clean_text('level2_name') }} as level2_name,
        {{ clean_text('level3_name') }} as level3_name,
        {{ clean_text('target_raw') }} as target_raw,
        {{ clean_text('comparator') }} as comparator,
        {{ clean_text('target_unit') }} as target_unit,
        {{ clean_text('description') }} as description,

        ----------  numerics
        target_value

    from source

)

select * from renamed
