with

indicators as (

    select * from {{ ref('stg_yusuan__indicators') }}

),

documents as (

    select * from {{ ref('stg_yusuan__documents') }}

),

resolved as (

    select
        indicators.*,
        documents.fiscal_year,
        documents.region,
        documents.province,
        -- the document's department; a project form's own department only where the
        -- document names none (one document carrying several departments' forms): a
        -- department a form names (a superior department, a reporter) is not the budget's
        case
            when indicators.scope = 'project'
                then coalesce(documents.department_name, indicators.department_name)
            else documents.department_name
        end as resolved_department_name,
        -- a wide summary-table row carries several indicators: number them
        row_number() over (
            partition by indicators.document_id, indicators.table_index, indicators.row_index
            order by
                indicators.level1_name,
                indicators.level2_name,
                indicators.level3_name,
                indicators.target_raw,
                indicators.description,
                indicators.page_number
        ) as indicator_ordinal
    from indicators
    left join documents
        on indicators.document_id = documents.document_id

),

final as (

    select
        md5(
            resolved.document_id
            || '|' || cast(resolved.table_index as varchar)
            || '|' || cast(resolved.row_index as varchar)
            || '|' || cast(resolved.indicator_ordinal as varchar)
        ) as indicator_key,
        resolved.document_id,
        resolved.resolved_department_name as department_name,
        {{ department_key(
            'resolved.resolved_department_name', 'resolved.region', 'resolved.province'
        ) }} as department_key,
        case
            when resolved.scope = 'project'
                then
                    {{ project_key(
                        department_key(
                            'resolved.resolved_department_name',
                            'resolved.region',
                            'resolved.province'
                        ),
                        'resolved.fiscal_year',
                        'resolved.project_name'
                    ) }}
        end as project_key,
        resolved.fiscal_year,
        resolved.region,
        resolved.province,
        resolved.scope,
        resolved.project_name,
        resolved.level1_name,
        resolved.level2_name,
        resolved.level3_name,
        resolved.target_raw,
        resolved.comparator,
        resolved.target_value,
        resolved.target_unit,
        resolved.description,
        resolved.page_number,
        resolved.table_index,
        resolved.row_index,
        resolved.indicator_ordinal
    from resolved

)

select * from final
