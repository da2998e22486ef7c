{#- The shape of an email address, lower case: ASCII letters, digits and ._%+- or any non-ASCII
    character (josé@exämple.com) before the @, a domain with a dot, a top-level part of 2+ letters.
    `[^ -~]` is "not printable ASCII": control characters never get here (the raw reader rejects
    them), so it means a non-ASCII character, on every warehouse's regex engine. -#}
{% macro email_pattern() -%}
    ^([a-z0-9._%+-]|[^ -~])+@([a-z0-9-]|[^ -~])+([.]([a-z0-9-]|[^ -~])+)*[.]([a-z]|[^ -~]){2,}$
{%- endmacro %}
