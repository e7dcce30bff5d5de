with

projects as (

    select * from {{ ref('int_projects') }}

),

final as (

    select
        cast(projects.project_key as varchar) as project_key,
        cast(projects.project_name as varchar) as project_name,
        cast(projects.project_code as varchar) as project_code,
        cast(projects.department_key as varchar) as department_key,
        cast(projects.fiscal_year as integer) as fiscal_year,
        cast(projects.project_type as varchar) as project_type,
        cast(projects.amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(projects.government_funds_yuan as decimal(20, 2)) as government_funds_yuan,
        cast(projects.other_funds_yuan as decimal(20, 2)) as other_funds_yuan,
        cast(projects.source_family as varchar) as source_family
    from projects

)

select * from final
