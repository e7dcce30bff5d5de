with

source as (

    select * from {{ source('yusuan', 'narrative_totals') }}

),

renamed as (

    select

        ----------  ids
        document_id,

        ----------  lineage
        page_number,

        ----------  strings
        item,
        {{ clean_text('amount_unit') }} as amount_unit,
        {{ clean_text('sentence') }} as sentence,

        ----------  numerics
        amount_yuan

    from source

)

select * from renamed
