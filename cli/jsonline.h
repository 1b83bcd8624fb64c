/*
 * jsonline.h - one JSON Lines object read back: the records greenfetch
 * wrote (--journal, --json) for --resume and --since.
 *
 * Flow: FILE -> (a line) -> jsonline -> journal.
 *
 * The object must be flat: its members' values are null, true, false,
 * numbers, strings, or arrays of strings (what greenfetch writes);
 * anything else, or a line cut short, is refused as a whole. Strings are
 * decoded in place (a decoded string is never longer than its JSON), so
 * reading a line allocates nothing.
 */
#ifndef GF_JSONLINE_H
#define GF_JSONLINE_H

#include <stdbool.h>
#include <stddef.h>

enum jl_type { JL_NULL, JL_BOOL, JL_NUMBER, JL_STRING, JL_STRINGS };

struct jl_value {
	enum jl_type type;
	const char *s;                /* a string, NUL-terminated; an array's
				       * strings joined with '\n' */
	size_t len;
	double num;
	bool b;
};

/* Call fn for each member of the object in line (len bytes, with a NUL
 * after them; changed in place). False when the line is not such an
 * object or fn said false. */
bool jsonline_each(char *line, size_t len,
		   bool (*fn)(void *ctx, const char *key, const struct jl_value *v),
		   void *ctx);

#endif
