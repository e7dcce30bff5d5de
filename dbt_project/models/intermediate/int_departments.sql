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
        {{ department_key(
            'documents.department_name', 'documents.region', 'documents.province'
        ) }} as department_key,
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
        indicators.department_key,
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
        projects.department_key,
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

    {% call keep_first(
        ['mentions.department_key'],
        [
            'mentions.source_rank asc',
            'mentions.fiscal_year desc nulls last',
            'mentions.loaded_at desc nulls last',
            'mentions.document_id asc'
        ]
    ) %}
    -- one row per department (extract/departments.py: a name within its region and
    -- province): the name its latest own document prints, else its latest mention
    select
        mentions.department_key,
        mentions.department_name,
        mentions.region,
        mentions.province
    from mentions
    {% endcall %}

),

unit_codes as (

    {% call keep_first(
        ['mentions.department_key'],
        [
            'mentions.fiscal_year desc nulls last',
            'mentions.loaded_at desc nulls last',
            'mentions.document_id asc'
        ]
    ) %}
    select
        mentions.department_key,
        mentions.unit_code
    from mentions
    where mentions.unit_code is not null
    {% endcall %}

),

years as (

    select
        mentions.department_key,
        min(mentions.fiscal_year) as first_fiscal_year,
        max(mentions.fiscal_year) as last_fiscal_year
    from mentions
    group by mentions.department_key

),

final as (

    select
        latest.department_key,
        latest.department_name,
        latest.region,
        latest.province,
        unit_codes.unit_code,
        years.first_fiscal_year,
        years.last_fiscal_year
    from latest
    left join unit_codes
        on latest.department_key = unit_codes.department_key
    left join years
        on latest.department_key = years.department_key

)

select * from final
