with

departments as (

    select * from {{ ref('int_departments') }}

),

final as (

    select
        cast(departments.department_key as varchar) as department_key,
        cast(departments.department_name as varchar) as department_name,
        cast(departments.region as varchar) as region,
        cast(departments.province as varchar) as province,
        cast(departments.unit_code as varchar) as unit_code
    from departments

)

select * from final
