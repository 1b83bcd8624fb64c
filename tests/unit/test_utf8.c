/*
 * test_utf8.c - the word-at-a-time ASCII scan stops where a byte-by-byte
 * one does: at a NUL, at a byte of 128 or more, or at the end.
 */
#include <stdlib.h>

#include "unit.h"
#include "utf8.h"

static size_t slow_run(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while(i < n && s[i] != 0 && s[i] < 0x80)
		i++;
	return i;
}

static void ascii_run_stops_where_bytes_say(void)
{
	unsigned char buf[40];

	for(size_t len = 0; len <= 24; len++) {
		memset(buf, 'a', sizeof(buf));
		CHECK(utf8_ascii_run(buf, len) == len);
		for(size_t at = 0; at < len; at++) {
			static const unsigned char stop[] = { 0, 0x80, 0xc3, 0xff };

			for(size_t k = 0; k < sizeof(stop); k++) {
				memset(buf, 'a', sizeof(buf));
				buf[at] = stop[k];
				CHECK(utf8_ascii_run(buf, len) == at);
			}
		}
	}
}

static void ascii_run_agrees_with_a_byte_scan(void)
{
	unsigned char buf[64];
	unsigned seed = 1;

	for(int round = 0; round < 20000; round++) {
		size_t len = (seed = seed * 1103515245u + 12345u) % 64;

		for(size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* Mostly ASCII, sometimes a NUL or a high byte. */
			buf[i] = (seed >> 16) % 50 == 0 ? (unsigned char)(seed >> 8) :
				 (unsigned char)(1 + (seed >> 16) % 127);
		}
		CHECK(utf8_ascii_run(buf, len) == slow_run(buf, len));
	}
}

int main(void)
{
	RUN(ascii_run_stops_where_bytes_say);
	RUN(ascii_run_agrees_with_a_byte_scan);
	return unit_any_failed;
}
