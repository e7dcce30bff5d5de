{#- Surrogate keys shared by the marts. Inputs are already whitespace-normalised. -#}

{#- A department's identity: its name without the party's prefix 中共, within its region
    and province (every county has its 财政局). The one home of the rule is
    extract/departments.py (department_key); tests/extract/test_departments.py keeps this
    macro equal to it. -#}
{% macro department_key(department_name, region, province) -%}
    md5(
        coalesce({{ province }}, '')
        || '|' || coalesce({{ region }}, '')
        || '|' || regexp_replace({{ department_name }}, '^中共', '')
    )
{%- endmacro %}

{#- A project: its name within its department's budget of a year. -#}
{% macro project_key(department_key, fiscal_year, project_name) -%}
    md5(
        coalesce({{ department_key }}, '')
        || '|' || coalesce(cast({{ fiscal_year }} as varchar), '')
        || '|' || {{ project_name }}
    )
{%- endmacro %}
