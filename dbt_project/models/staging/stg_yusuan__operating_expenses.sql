with

source as (

    select * from {{ source('yusuan', 'operating_expenses') }}

),

renamed as (

    select

        ----------  ids
        document_id,
        {{ clean_text('economic_code') }} as economic_code,

        ----------  lineage
        page_number,
        table_index,
        row_index,
        {{ clean_text('table_title') }} as table_title,

        ----------  strings
        source,
        row_kind,
        {{ clean_text('economic_name') }} as economic_name,
        {{ clean_text('amount_unit') }} as amount_unit,

        ----------  numerics
        decimals,
        amount_yuan

    from source

)

select * from renamed
