with

indicators as (

    select * from {{ ref('int_indicators') }}

),

final as (

    select
        cast(indicators.indicator_key as varchar) as indicator_key,
        cast(indicators.document_id as varchar) as document_id,
        cast(indicators.department_key as varchar) as department_key,
        cast(indicators.project_key as varchar) as project_key,
        cast(indicators.fiscal_year as integer) as fiscal_year,
        cast(indicators.scope as varchar) as scope,
        cast(indicators.level1_name as varchar) as level1_name,
        cast(indicators.level2_name as varchar) as level2_name,
        cast(indicators.level3_name as varchar) as level3_name,
        cast(indicators.target_raw as varchar) as target_raw,
        cast(indicators.comparator as varchar) as comparator,
        cast(indicators.target_value as decimal(24, 6)) as target_value,
        cast(indicators.target_unit as varchar) as target_unit,
        cast(indicators.description as varchar) as description,
        cast(indicators.page_number as integer) as page_number,
        cast(indicators.table_index as integer) as table_index,
        cast(indicators.row_index as integer) as row_index
    from indicators

)

select * from final
