with

source as (

    select * from {{ source('yusuan', 'three_public') }}

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
        source,
        category,
        {{ clean_text('category_name') }} as category_name,
        {{ clean_text('amount_unit') }} as amount_unit,

        ----------  numerics
        amount_yuan

    from source

)

select * from renamed
