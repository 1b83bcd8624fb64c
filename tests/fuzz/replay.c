/*
 * replay.c - runs a fuzz target over files (a corpus, crash reproducers)
 * without libFuzzer, so that make check replays them with gcc.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if(!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		perror(path);
		return 1;
	}
	buf = malloc((size_t)n + 1);
	if(!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		perror(path);
		return 1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int files = 0, rc = 0;

	for(int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;

		if(stat(argv[i], &st) == 0 && !S_ISDIR(st.st_mode)) {
			rc |= replay_file(argv[i]);
			files++;
			continue;
		}
		d = opendir(argv[i]);
		while(d && (e = readdir(d))) {
			char path[4096];

			if(e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			rc |= replay_file(path);
			files++;
		}
		if(d)
			closedir(d);
	}
	printf("%d inputs replayed\n", files);
	return rc;
}
