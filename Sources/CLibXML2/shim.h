#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and its encoding.h would then include ICU's headers, which
// clash with the ICU copy inside Swift's Foundation. Nothing here uses the ICU parts (they only add
// members at the end of xmlCharEncodingHandler, which is never allocated or read from Swift).
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
