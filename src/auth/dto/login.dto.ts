import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin', description: 'User name' })
  @IsDefined()
  @IsString()
  @MaxLength(50)
  username: string;

  @ApiProperty({ example: 'your-password', description: 'Password' })
  @IsDefined()
  @IsString()
  @MaxLength(200)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty({ description: 'The current password' })
  @IsDefined()
  @IsString()
  @MaxLength(200)
  oldPassword: string;

  @ApiProperty({
    description: 'At least 10 characters, not containing your username, not a common password',
  })
  @IsDefined()
  @IsString()
  @MaxLength(200)
  newPassword: string;
}
