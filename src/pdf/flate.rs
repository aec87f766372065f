//! Flate compression with a compressor the caller keeps: the writer's page and font streams
//! (`emit`) and the packed glyphs of a long document (`layout`) share this loop.

/// `data` Flate-compressed with `z` (reset first) into a buffer that starts with room for
/// `room` bytes and grows as needed, or `None` if the compressor failed.
pub fn deflate(z: &mut flate2::Compress, data: &[u8], room: usize) -> Option<Vec<u8>> {
    z.reset();
    let mut packed = Vec::with_capacity(room);
    loop {
        let consumed = z.total_in() as usize;
        match z.compress_vec(
            &data[consumed..],
            &mut packed,
            flate2::FlushCompress::Finish,
        ) {
            Ok(flate2::Status::StreamEnd) => return Some(packed),
            Ok(_) => packed.reserve(packed.capacity().max(1024)),
            Err(_) => return None,
        }
    }
}
