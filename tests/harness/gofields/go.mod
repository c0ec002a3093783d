module gofields

go 1.19
