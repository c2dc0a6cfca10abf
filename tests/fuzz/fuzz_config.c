/* fuzz_config.c - mdadm.conf text of any shape must not crash the parser */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static struct conf conf;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	conf_parse(text, &conf, NULL, NULL, NULL);
	if (conf.narrays > CONF_MAX_ARRAYS || conf.ndevices > CONF_MAX_DEVICES)
		abort();
	for (size_t i = 0; i < conf.narrays; i++)
		if (strlen(conf.arrays[i].devname) >= sizeof(conf.arrays[i].devname))
			abort();
	free(text);
	return 0;
}
