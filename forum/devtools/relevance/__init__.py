"""The relevance test set of search (issue 17): the threads, the queries, and the harness that measures them."""
