{#- Whitespace-normalise printed text: collapse runs of ASCII, no-break and ideographic
    (U+3000) spaces to one space; drop a space between two CJK characters (wrapped cell
    text: 一般公共 服务 -> 一般公共服务); trim; turn an empty string into null.
    The CJK rule runs twice because regexp_replace matches do not overlap. -#}
{% macro clean_text(column) -%}
    {%- set cjk = '[\\p{Han}\\x{3000}-\\x{303f}\\x{ff00}-\\x{ffef}]' -%}
    {%- set join_cjk = ", '(" ~ cjk ~ ") (" ~ cjk ~ ")', '\\1\\2', 'g')" -%}
    {%- set collapsed = "regexp_replace(" ~ column
        ~ ", '[\\s\\x{00a0}\\x{3000}]+', ' ', 'g')" -%}
    {%- set joined = "regexp_replace(regexp_replace(" ~ collapsed ~ join_cjk ~ join_cjk -%}
    nullif(trim({{ joined }}), '')
{%- endmacro %}
