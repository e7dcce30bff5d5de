with

source as (

    select * from {{ source('yusuan', 'meeting_training') }}

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
        row_kind,
        category,
        {{ clean_text('name') }} as name,
        {{ clean_text('held_on') }} as held_on,
        {{ clean_text('amount_unit') }} as amount_unit,

        ----------  numerics
        participants,
        duration_days,
        sessions,
        decimals,
        amount_yuan

    from source

)

select * from renamed
