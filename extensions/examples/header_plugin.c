/* A plain extension: adds one HTTP header to every request and WebSocket upgrade.
 *
 *   cc -shared -fPIC -I/usr/local/include/cometd-cli -o header_plugin.so header_plugin.c
 *   cometd-cli --ext-plugin './header_plugin.so:X-Api-Key: 1234' subscribe URL /chat/a
 *
 * ARG is the header, "Name: value". Every call gets the headers as a JSON object and returns
 * the same object with the header appended; the payload is left unchanged (NULL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cometd_plugin.h"

typedef struct {
    char *member; /* "Name":"value", JSON-escaped */
} header_plugin;

/* Appends s to out as the inside of a JSON string (quotes and backslashes escaped). */
static size_t escape(char *out, const char *s, size_t n) {
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\') out[w++] = '\\';
        out[w++] = s[i];
    }
    return w;
}

static void *create(const char *arg, const char **error) {
    const char *colon = arg ? strchr(arg, ':') : NULL;
    if (!colon || colon == arg) {
        *error = "expected ARG 'Name: value'";
        return NULL;
    }
    const char *value = colon + 1;
    while (*value == ' ') value++;
    header_plugin *self = malloc(sizeof *self);
    size_t name_len = (size_t)(colon - arg), value_len = strlen(value);
    self->member = malloc(2 * (name_len + value_len) + 8);
    char *p = self->member;
    *p++ = '"';
    p += escape(p, arg, name_len);
    *p++ = '"';
    *p++ = ':';
    *p++ = '"';
    p += escape(p, value, value_len);
    *p++ = '"';
    *p = '\0';
    return self;
}

static void destroy(void *self) {
    free(((header_plugin *)self)->member);
    free(self);
}

static char *outgoing(void *opaque, const char *payload, const char *headers, char **new_headers) {
    header_plugin *self = opaque;
    (void)payload;
    /* headers is a JSON object: insert the member before its closing brace. */
    size_t len = strlen(headers);
    const char *end = strrchr(headers, '}');
    if (!end) return NULL;
    int empty = 1;
    for (const char *c = headers; c < end; c++) {
        if (*c != '{' && *c != ' ') { empty = 0; break; }
    }
    char *out = malloc(len + strlen(self->member) + 2);
    size_t head = (size_t)(end - headers);
    memcpy(out, headers, head);
    sprintf(out + head, "%s%s}", empty ? "" : ",", self->member);
    *new_headers = out;
    return NULL;
}

static const cometd_plugin_v1 plugin = {
    COMETD_PLUGIN_ABI, "header_plugin", create, destroy, outgoing, NULL, NULL,
};

const cometd_plugin_v1 *cometd_plugin_entry(void) { return &plugin; }
