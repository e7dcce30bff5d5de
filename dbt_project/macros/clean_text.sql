{#- Whitespace-normalise printed text: collapse runs of ASCII, no-break and ideographic
    (U+3000) spaces to one space; drop a space between two CJK characters (wrapped cell
    text: 一般公共 服务 -> 一般公共服务); trim; turn an empty string into null.
    The CJK rule runs twice because regexp_replace matches do not overlap. -#}
{% macro clean_text(column) -%}
    {%- set classes = text_classes() -%}
    {%- set cjk = classes.cjk -%}
    {%- set join_cjk = ", '(" ~ cjk ~ ") (" ~ cjk ~ ")', '\\1\\2', 'g')" -%}
    {%- set collapsed = "regexp_replace(" ~ column
        ~ ", '" ~ classes.space ~ "+', ' ', 'g')" -%}
    {%- set joined = "regexp_replace(regexp_replace(" ~ collapsed ~ join_cjk ~ join_cjk -%}
    nullif(trim({{ joined }}), '')
{%- endmacro %}
