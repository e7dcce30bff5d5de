with

project_lines as (

    select * from {{ ref('int_project_lines') }}

),

indicators as (

    select * from {{ ref('int_indicators') }}

),

document_projects as (

    -- a project carried by several units in one table family of a document: one
    -- amount, their sum
    select
        project_lines.project_key,
        project_lines.document_id,
        project_lines.source_family,
        project_lines.department_name,
        project_lines.department_key,
        project_lines.fiscal_year,
        project_lines.project_name,
        project_lines.budget_level,
        project_lines.loaded_at,
        min(project_lines.project_code) as project_code,
        min(project_lines.project_type) as project_type,
        sum(project_lines.amount_yuan) as amount_yuan,
        sum(project_lines.government_funds_yuan) as government_funds_yuan,
        sum(project_lines.other_funds_yuan) as other_funds_yuan
    from project_lines
    group by
        project_lines.project_key,
        project_lines.document_id,
        project_lines.source_family,
        project_lines.department_name,
        project_lines.department_key,
        project_lines.fiscal_year,
        project_lines.project_name,
        project_lines.budget_level,
        project_lines.loaded_at

),

ranked as (

    -- a project printed by several tables (项目支出表, 项目绩效目标表, 汇总表) or several
    -- documents of a year (a revised PDF, a 部门预算 and a 单位预算): the 项目支出表 first,
    -- then the project form, then the summary table; within a family the
    -- department-level, latest-loaded document
    select
        document_projects.*,
        row_number() over (
            partition by document_projects.project_key
            order by
                case document_projects.source_family
                    when 'project_expenditure' then 1
                    when 'project_form' then 2
                    when 'performance_summary' then 3
                    when 'policy_targets' then 4
                    else 5
                end asc,
                case when document_projects.budget_level = 'department' then 0 else 1 end asc,
                document_projects.loaded_at desc nulls last,
                document_projects.document_id asc
        ) as source_rank
    from document_projects

),

figures_ranked as (

    -- the figures come together from the best-ranked source that prints an amount
    select
        ranked.*,
        row_number() over (
            partition by ranked.project_key
            order by ranked.amount_yuan is null asc, ranked.source_rank asc
        ) as figures_rank
    from ranked

),

budgeted_projects as (

    -- attributes (code, type) from the best-ranked source that prints them
    select
        figures_ranked.project_key,
        {{ min_by('figures_ranked.project_name', 'figures_ranked.source_rank') }} as project_name,
        {{ min_by(
            'figures_ranked.project_code',
            'figures_ranked.source_rank',
            where='figures_ranked.project_code is not null'
        ) }} as project_code,
        {{ min_by('figures_ranked.department_name', 'figures_ranked.source_rank') }}
            as department_name,
        {{ min_by('figures_ranked.department_key', 'figures_ranked.source_rank') }}
            as department_key,
        {{ min_by('figures_ranked.fiscal_year', 'figures_ranked.source_rank') }} as fiscal_year,
        {{ min_by(
            'figures_ranked.project_type',
            'figures_ranked.source_rank',
            where='figures_ranked.project_type is not null'
        ) }} as project_type,
        {{ min_by('figures_ranked.amount_yuan', 'figures_ranked.figures_rank') }} as amount_yuan,
        {{ min_by('figures_ranked.government_funds_yuan', 'figures_ranked.figures_rank') }}
            as government_funds_yuan,
        {{ min_by('figures_ranked.other_funds_yuan', 'figures_ranked.figures_rank') }}
            as other_funds_yuan,
        {{ min_by('figures_ranked.source_family', 'figures_ranked.figures_rank') }} as source_family
    from figures_ranked
    group by figures_ranked.project_key

),

indicator_projects as (

    -- projects known only from their performance-target indicators: no figures
    select distinct
        indicators.project_key,
        indicators.project_name,
        cast(null as varchar) as project_code,
        indicators.department_name,
        indicators.department_key,
        indicators.fiscal_year,
        cast(null as varchar) as project_type,
        cast(null as decimal(38, 2)) as amount_yuan,
        cast(null as decimal(38, 2)) as government_funds_yuan,
        cast(null as decimal(38, 2)) as other_funds_yuan,
        'indicators' as source_family
    from indicators
    where
        indicators.scope = 'project'
        and indicators.project_key is not null
        and not exists (
            select budgeted_projects.project_key
            from budgeted_projects
            where indicators.project_key = budgeted_projects.project_key
        )

),

final as (

    -- (sums keep their scale: PostgreSQL's sum drops it)
    select
        budgeted_projects.project_key,
        budgeted_projects.project_name,
        budgeted_projects.project_code,
        budgeted_projects.department_name,
        budgeted_projects.department_key,
        budgeted_projects.fiscal_year,
        budgeted_projects.project_type,
        cast(budgeted_projects.amount_yuan as decimal(38, 2)) as amount_yuan,
        cast(budgeted_projects.government_funds_yuan as decimal(38, 2)) as government_funds_yuan,
        cast(budgeted_projects.other_funds_yuan as decimal(38, 2)) as other_funds_yuan,
        budgeted_projects.source_family
    from budgeted_projects

    union all

    select
        indicator_projects.project_key,
        indicator_projects.project_name,
        indicator_projects.project_code,
        indicator_projects.department_name,
        indicator_projects.department_key,
        indicator_projects.fiscal_year,
        indicator_projects.project_type,
        indicator_projects.amount_yuan,
        indicator_projects.government_funds_yuan,
        indicator_projects.other_funds_yuan,
        indicator_projects.source_family
    from indicator_projects

)

select * from final
