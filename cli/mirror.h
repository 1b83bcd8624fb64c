/*
 * mirror.h - --convert-links: the files -o saved, by URL, and their links
 * turned to each other once the run is over (see relink.h).
 *
 * Flow: files (each file saved) -> mirror -> (at the end) the saved pages.
 */
#ifndef GF_MIRROR_H
#define GF_MIRROR_H

struct mirror;

struct mirror *mirror_new(void);
void mirror_free(struct mirror *m);

/* url (as asked; effective: where redirects led, or NULL) was saved as
 * name under DIR, with this Content-Type (NULL = none). */
void mirror_add(struct mirror *m, const char *url, const char *effective,
		const char *name, const char *ctype);

/* Turn the links of every saved page and sheet (dir_fd is DIR, named dir
 * in messages). */
void mirror_convert(struct mirror *m, int dir_fd, const char *dir);

#endif
