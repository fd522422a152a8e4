COPY lw_import_chunk (row_number, source_id, attrs, g, width_m, problem_code, problem_msg, area_m2, certified) FROM STDIN WITH (FORMAT binary)
