/**
 * AMF0 and AMF3 (amf0.txt, amf3.txt) as zero-allocation cursors and writers.
 * <p>
 * <b>Reading.</b> {@link io.flowcast.codec.amf.Amf0Reader} walks a sequence of AMF0 values in place: {@code next()}
 * returns the marker of each value (objects and arrays are entered, members carry their key), the synthetic
 * {@code OBJECT_END}/{@code STRICT_ARRAY_END}, {@code END}, or a negative error. Nesting is bounded (64), every
 * length is checked against the limit, and a failed reader stays failed. The AVM+ marker (0x11) hands one value to
 * the embedded {@link io.flowcast.codec.amf.Amf3Reader}, or skips it. {@link io.flowcast.codec.amf.Amf0Command}
 * reads a command's name and transaction ID and leaves the reader at the command object.
 * <p>
 * {@link io.flowcast.codec.amf.Amf3Reader} reads every AMF3 marker: string references are resolved through a
 * bounded table (1024 strings), traits through a bounded table (256 traits, 1024 sealed names), complex-object
 * references are reported (index), not resolved. Externalizable objects are refused
 * ({@code ERROR_EXTERNALIZABLE}: their bytes are class-private). Numeric vectors are returned whole (offset and
 * count); object vectors and dictionaries are entered like arrays.
 * <p>
 * <b>Writing.</b> {@link io.flowcast.codec.amf.Amf0Writer} and {@link io.flowcast.codec.amf.Amf3Writer} chain calls
 * with a sticky overflow flag; a value that does not fit is not written at all. The AMF3 writer covers the command
 * subset (null, undefined, booleans, integers, doubles, strings, anonymous dynamic objects, arrays, byte arrays)
 * and never emits references.
 * <p>
 * Strings are compared in place with {@code stringEquals}/{@code keyEquals} (UTF-8 against a CharSequence, no
 * allocation); {@code string()}/{@code key()} allocate a String for the rare command path.
 */
package io.flowcast.codec.amf;
