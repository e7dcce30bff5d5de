with

source as (

    select * from {{ source('yusuan', 'procurement') }}

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
        {{ clean_text('category_name') }} as category_name,
        function_code,
        unit_code,
        {{ clean_text('name') }} as name,
        economic_code,
        {{ clean_text('economic_name') }} as economic_name,
        {{ clean_text('catalogue') }} as catalogue,
        {{ clean_text('procurement_method') }} as procurement_method,
        fund_source,
        {{ clean_text('source_name') }} as source_name,
        {{ clean_text('amount_unit') }} as amount_unit,

        ----------  numerics
        code_level,
        decimals,
        quantity,
        amount_yuan

    from source

)

select * from renamed
