with

source as (

    select * from {{ source('yusuan', 'income_sources') }}

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
        function_code,
        unit_code,
        {{ clean_text('name') }} as name,
        income_source,
        {{ clean_text('source_name') }} as source_name,
        {{ clean_text('amount_unit') }} as amount_unit,

        ----------  numerics
        code_level,
        decimals,
        amount_yuan

    from source

)

select * from renamed
