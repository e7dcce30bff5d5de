with

project_lines as (

    select * from {{ ref('int_project_lines') }}

),

indicators as (

    select * from {{ ref('int_indicators') }}

),

document_projects as (

    -- a project carried by several units of one document: one amount, their sum
    select
        project_lines.project_key,
        project_lines.document_id,
        project_lines.department_name,
        project_lines.fiscal_year,
        project_lines.project_name,
        project_lines.budget_level,
        project_lines.loaded_at,
        min(project_lines.project_code) as project_code,
        min(project_lines.project_type) as project_type,
        sum(project_lines.amount_yuan) as amount_yuan
    from project_lines
    group by
        project_lines.project_key,
        project_lines.document_id,
        project_lines.department_name,
        project_lines.fiscal_year,
        project_lines.project_name,
        project_lines.budget_level,
        project_lines.loaded_at

),

budgeted_projects as (

    -- a project printed by several documents of a year (a revised PDF, a 部门预算 and a
    -- 单位预算) takes its figures from one: the department-level, latest-loaded one
    select
        document_projects.project_key,
        document_projects.project_name,
        document_projects.project_code,
        document_projects.department_name,
        document_projects.fiscal_year,
        document_projects.project_type,
        document_projects.amount_yuan
    from document_projects
    qualify
        row_number() over (
            partition by document_projects.project_key
            order by
                case when document_projects.budget_level = 'department' then 0 else 1 end asc,
                document_projects.amount_yuan is null asc,
                document_projects.loaded_at desc nulls last,
                document_projects.document_id asc
        ) = 1

),

indicator_projects as (

    -- projects known only from their performance-target forms: no figures
    select distinct
        indicators.project_key,
        indicators.project_name,
        null as project_code,
        indicators.department_name,
        indicators.fiscal_year,
        null as project_type,
        null as amount_yuan
    from indicators
    anti join budgeted_projects
        on indicators.project_key = budgeted_projects.project_key
    where
        indicators.scope = 'project'
        and indicators.project_key is not null

),

final as (

    select * from budgeted_projects

    union all

    select * from indicator_projects

)

select * from final
