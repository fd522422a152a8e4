-- Whether a district code prefix ($1) names anything: a district under it, or a suspect placed under
-- it (districts may have been re-imported since); and the name of the unit the prefix denotes
-- (the code padded to 12 digits), NULL when the district table lacks it.
SELECT (SELECT d.name FROM district d WHERE d.code = rpad($1::text, 12, '0')) AS name,
       (EXISTS (SELECT 1 FROM district d WHERE d.code LIKE $1::text || '%')
        OR EXISTS (SELECT 1 FROM suspect s WHERE s.district_code LIKE $1::text || '%')) AS known
