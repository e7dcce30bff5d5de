with

function_codes as (

    select * from {{ ref('int_function_codes') }}

),

function_classes as (

    select * from {{ ref('function_classes') }}

),

final as (

    select
        cast(function_codes.function_code as varchar) as function_code,
        cast(function_codes.level as integer) as level,
        cast(function_codes.name as varchar) as name,
        cast(function_codes.parent_code as varchar) as parent_code,
        cast(left(function_codes.function_code, 3) as varchar) as class_code,
        -- the national name of the class, else the name the documents printed for it
        cast(coalesce(function_classes.class_name, classes.name) as varchar) as class_name,
        cast(function_codes.names as varchar[]) as names,
        cast(function_codes.is_printed as boolean) as is_printed
    from function_codes
    left join function_classes
        on left(function_codes.function_code, 3) = function_classes.class_code
    left join function_codes as classes
        on left(function_codes.function_code, 3) = classes.function_code

)

select * from final
