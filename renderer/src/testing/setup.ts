// Test set-up for every file: the DOM queries that wait (findBy…, waitFor) wait up to 5 s, since
// renderer tests share the machine with Python, DuckDB and Docker tests running alongside.
import { configure } from '@testing-library/react';

configure({ asyncUtilTimeout: 5000 });
