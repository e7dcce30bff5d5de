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

{#- Two printed names of one department: equal, or equal once the party's prefix 中共 is
    dropped (a party organ prints 中共江苏省委办公厅 on its tables and 江苏省委办公厅 on the
    cover of its explanatory document). -#}
{% macro same_department(left, right) -%}
    regexp_replace({{ left }}, '^中共', '') = regexp_replace({{ right }}, '^中共', '')
{%- endmacro %}
