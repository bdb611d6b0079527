/* Test plugins that must be refused, one per BAD_* macro:
 *   BAD_ABI      reports ABI version 2
 *   BAD_NO_ENTRY exports no cometd_plugin_entry
 *   BAD_REFUSE   create() refuses with a reason
 *   BAD_JSON     returns a payload that is not JSON */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "cometd_plugin.h"

static void *create(const char *arg, const char **error) {
    (void)arg;
#ifdef BAD_REFUSE
    *error = "no licence key";
    return NULL;
#else
    (void)error;
    return malloc(1);
#endif
}

static void destroy(void *self) { free(self); }

static char *outgoing(void *self, const char *payload, const char *headers, char **new_headers) {
    (void)self;
    (void)payload;
    (void)headers;
    (void)new_headers;
#ifdef BAD_JSON
    return strdup("[{\"channel\":\"/a\",");
#else
    return NULL;
#endif
}

static const cometd_plugin_v1 plugin = {
#ifdef BAD_ABI
    2,
#else
    COMETD_PLUGIN_ABI,
#endif
    "bad_plugin", create, destroy, outgoing, NULL, NULL,
};

#ifndef BAD_NO_ENTRY
const cometd_plugin_v1 *cometd_plugin_entry(void) { return &plugin; }
#else
const cometd_plugin_v1 *some_other_symbol(void) { return &plugin; }
#endif
