/*
 * record.h - the result of one input URL: the contract between fetch/, which
 * fills it, and cli/, which formats it. Every input line yields exactly one.
 */
#ifndef GF_RECORD_H
#define GF_RECORD_H

#include <stdint.h>

struct gf_record {
	uint64_t index;               /* 1-based position of the URL in the input */
	char *url;                    /* the URL as given (owned) */
	char *effective_url;          /* the last URL requested, NULL if none (owned) */
	long status;                  /* final HTTP status; 0 = no response */
	uint64_t bytes;               /* body bytes of the final response */
	double time;                  /* seconds from start to end, all hops */
	long redirects;               /* redirects followed */
	char *error;                  /* NULL when the URL succeeded (owned) */
};

/* Free the strings a record owns and reset it. */
void record_release(struct gf_record *rec);

/* Set the error message once: a later call keeps the first one. */
void record_set_error(struct gf_record *rec, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Did the URL fail: a transport error or a final status of 400 or more? */
int record_failed(const struct gf_record *rec);

#endif
