{#- Surrogate keys shared by the marts. Inputs are already whitespace-normalised. -#}

{% macro department_key(department_name) -%}
    md5({{ department_name }})
{%- endmacro %}

{% macro project_key(department_name, fiscal_year, project_name) -%}
    md5(
        coalesce({{ department_name }}, '')
        || '|' || coalesce(cast({{ fiscal_year }} as varchar), '')
        || '|' || {{ project_name }}
    )
{%- endmacro %}
