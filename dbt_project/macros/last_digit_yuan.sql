{#- One unit of the last printed digit, in yuan, for a table printed in amount_unit with
    `decimals` decimals (e.g. 万元 with 2 decimals -> 100 yuan); null for an unknown unit. -#}
{% macro last_digit_yuan(decimals, amount_unit) -%}
    power(10, -{{ decimals }})
    * case {{ amount_unit }}
        when '元' then 1
        when '万元' then 10000
        when '亿元' then 100000000
    end
{%- endmacro %}
