/* Test plugin: appends {"channel":"/trace","data":"ARG>"} (outgoing) or "<ARG" (incoming) to
 * the payload, so that the order the host calls plugins in shows in the result. Built twice:
 * with -DTRACE_AUTH it is an auth extension whose authenticate() succeeds. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "cometd_plugin.h"

static void *create(const char *arg, const char **error) {
    (void)error;
    return strdup(arg ? arg : "");
}

static void destroy(void *self) { free(self); }

static char *append(const char *payload, const char *tag, const char *arrow) {
    const char *end = strrchr(payload, ']');
    if (!end) return NULL;
    size_t head = (size_t)(end - payload);
    int empty = 1;
    for (const char *c = payload; c < end; c++) {
        if (*c != '[' && *c != ' ') { empty = 0; break; }
    }
    char *out = malloc(head + strlen(tag) + 64);
    memcpy(out, payload, head);
    strcpy(out + head, empty ? "" : ",");
    strcat(out, "{\"channel\":\"/trace\",\"data\":\"");
    if (*arrow == '<') strcat(out, arrow);
    strcat(out, tag);
    if (*arrow == '>') strcat(out, arrow);
    strcat(out, "\"}]");
    return out;
}

static char *outgoing(void *self, const char *payload, const char *headers, char **new_headers) {
    (void)headers;
    (void)new_headers;
    return append(payload, self, ">");
}

static char *incoming(void *self, const char *payload, const char *headers, char **new_headers) {
    (void)headers;
    (void)new_headers;
    return append(payload, self, "<");
}

#ifdef TRACE_AUTH
static int authenticate(void *self) {
    (void)self;
    return 0;
}
#define AUTHENTICATE authenticate
#define NAME "trace_auth_plugin"
#else
#define AUTHENTICATE NULL
#define NAME "trace_plugin"
#endif

static const cometd_plugin_v1 plugin = {
    COMETD_PLUGIN_ABI, NAME, create, destroy, outgoing, incoming, AUTHENTICATE,
};

const cometd_plugin_v1 *cometd_plugin_entry(void) { return &plugin; }
