with

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

indicators as (

    select * from {{ ref('int_indicators') }}

),

projects as (

    select * from {{ ref('int_project_lines') }}

),

mentions as (

    -- every department a document, a project form or a project line names; a document
    -- describes its own department best, so its rows rank first
    select
        documents.department_name,
        documents.region,
        documents.province,
        documents.unit_code,
        documents.fiscal_year,
        documents.loaded_at,
        documents.document_id,
        1 as source_rank
    from documents
    where documents.department_name is not null

    union all

    select
        indicators.department_name,
        indicators.region,
        indicators.province,
        null as unit_code,
        indicators.fiscal_year,
        null as loaded_at,
        indicators.document_id,
        2 as source_rank
    from indicators
    where indicators.department_name is not null

    union all

    select
        projects.department_name,
        projects.region,
        projects.province,
        null as unit_code,
        projects.fiscal_year,
        null as loaded_at,
        projects.document_id,
        2 as source_rank
    from projects
    where projects.department_name is not null

),

latest as (

    -- one row per department: its latest own document, else its latest mention
    select
        mentions.department_name,
        mentions.region,
        mentions.province
    from mentions
    qualify
        row_number() over (
            partition by mentions.department_name
            order by
                mentions.source_rank asc,
                mentions.fiscal_year desc nulls last,
                mentions.loaded_at desc nulls last,
                mentions.document_id asc
        ) = 1

),

unit_codes as (

    select
        mentions.department_name,
        mentions.unit_code
    from mentions
    where mentions.unit_code is not null
    qualify
        row_number() over (
            partition by mentions.department_name
            order by
                mentions.fiscal_year desc nulls last,
                mentions.loaded_at desc nulls last,
                mentions.document_id asc
        ) = 1

),

years as (

    select
        mentions.department_name,
        min(mentions.fiscal_year) as first_fiscal_year,
        max(mentions.fiscal_year) as last_fiscal_year
    from mentions
    group by mentions.department_name

),

final as (

    select
        latest.department_name,
        latest.region,
        latest.province,
        unit_codes.unit_code,
        years.first_fiscal_year,
        years.last_fiscal_year
    from latest
    left join unit_codes
        on latest.department_name = unit_codes.department_name
    left join years
        on latest.department_name = years.department_name

)

select * from final
