with

source as (

    select * from {{ source('yusuan', 'performance_statements') }}

),

renamed as (

    select

        ----------  ids
        document_id,

        ----------  lineage
        page_number,

        ----------  strings
        {{ clean_text('amount_unit') }} as amount_unit,
        {{ clean_text('sentence') }} as sentence,

        ----------  numerics
        project_count,
        amount_yuan

    from source

)

select * from renamed
