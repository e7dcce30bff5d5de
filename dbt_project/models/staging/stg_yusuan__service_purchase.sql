with

source as (

    select * from {{ source('yusuan', 'service_purchase') }}

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
        {{ clean_text('name') }} as name,
        {{ clean_text('directory_level1') }} as directory_level1,
        {{ clean_text('directory_level2') }} as directory_level2,
        {{ clean_text('directory_level3') }} as directory_level3,
        {{ clean_text('contractor') }} as contractor,
        unit_code,
        {{ clean_text('unit_name') }} as unit_name,
        {{ clean_text('purchase_method') }} as purchase_method,
        fund_source,
        {{ clean_text('source_name') }} as source_name,
        {{ clean_text('amount_unit') }} as amount_unit,

        ----------  numerics
        decimals,
        amount_yuan

    from source

)

select * from renamed
