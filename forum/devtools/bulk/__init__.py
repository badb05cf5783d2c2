"""Benchmark data written fast (`manage.py seed_bulk`), by what each part does.

- `texts`: the words: titles, markdown bodies, names, and what the benchmark searches for;
- `planning`: how many answers each question gets, and the benchmark's fixture threads;
- `pgcopy`: PostgreSQL COPY plumbing: rows in COPY text format, foreign-key checks, ids;
- `seeder`: the rows themselves (accounts, questions, topics, answers, votes), streamed in;
- `derived`: what is computed from the rows once they are in: topic counts, search vectors;
- `indexes`: the RUM search index, set aside during a large load and built again after it.
"""
